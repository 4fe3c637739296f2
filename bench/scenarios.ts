import { BENCH_EMAIL } from './fixture.js';

/** The three servers, each a file under bench/servers/. */
export const SERVERS = {
  bareSdk: { label: 'bare SDK', entry: 'bareSdk.ts' },
  plainPg: { label: 'express + pg', entry: 'plainPg.ts' },
  sitePulse: { label: 'SitePulse', entry: 'sitePulse.ts' },
} as const;
export type ServerId = keyof typeof SERVERS;

/** One kind of request, sent over and over to one server. */
export interface Scenario {
  id: string;
  label: string;
  server: ServerId;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Cheap proof that an answer is the real one and not an error: all of `mustHave`, none of `mustNotHave`. */
  mustHave: string[];
  mustNotHave: string[];
}

export interface ScenarioInputs {
  token: string;
  teamId: number;
  pageSize: number;
}

const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};

const rpc = (method: string, params: object) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
const toolCall = (name: string, args: object) => rpc('tools/call', { name, arguments: args });

/** The sites of one full page: the last one is there and the one after it is not. */
const pageOf = (size: number) => ({ mustHave: [`"name":"Site ${size}"`], mustNotHave: [`"name":"Site ${size + 1}"`] });
const NO_TOOL_ERROR = '"isError":true';

export function scenarios({ token, teamId, pageSize }: ScenarioInputs): Scenario[] {
  const authed = { ...MCP_HEADERS, authorization: `Bearer ${token}` };
  const page = pageOf(pageSize);
  return [
    {
      id: 'bare_sdk_tool_call',
      label: 'bare SDK · tools/call greet',
      server: 'bareSdk',
      path: '/mcp',
      headers: MCP_HEADERS,
      body: toolCall('greet', { name: 'bench' }),
      mustHave: ['Hello, bench'],
      mustNotHave: [NO_TOOL_ERROR],
    },
    {
      id: 'express_pg_sites',
      label: `express + pg · token + ${pageSize} sites`,
      server: 'plainPg',
      path: '/sites',
      headers: authed,
      body: JSON.stringify({ team_id: teamId, limit: pageSize }),
      ...page,
    },
    {
      id: 'sitepulse_list_sites',
      label: `SitePulse · list_sites (${pageSize})`,
      server: 'sitePulse',
      path: '/mcp',
      headers: authed,
      body: toolCall('list_sites', { team_id: teamId, limit: pageSize }),
      mustHave: page.mustHave,
      mustNotHave: [...page.mustNotHave, NO_TOOL_ERROR],
    },
    {
      id: 'sitepulse_tools_list',
      label: 'SitePulse · tools/list',
      server: 'sitePulse',
      path: '/mcp',
      headers: authed,
      body: rpc('tools/list', {}),
      mustHave: ['"name":"list_sites"', '"name":"whoami"'],
      mustNotHave: [],
    },
    {
      id: 'sitepulse_whoami',
      label: 'SitePulse · whoami',
      server: 'sitePulse',
      path: '/mcp',
      headers: authed,
      body: toolCall('whoami', {}),
      mustHave: [`"email":"${BENCH_EMAIL}"`],
      mustNotHave: [NO_TOOL_ERROR],
    },
  ];
}

export const answersRight = (s: Scenario, body: string) =>
  s.mustHave.every((m) => body.includes(m)) && !s.mustNotHave.some((m) => body.includes(m));
