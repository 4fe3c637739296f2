import express from 'express';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { announce } from './listen.js';

/**
 * Baseline: the shape of the SDK's stateless example (a new McpServer and transport per request) with one
 * tool that answers a fixed page of 25 sites: protocol cost only, no auth, no database.
 */
const PAGE = {
  sites: Array.from({ length: 25 }, (_, i) => ({ id: i + 1, name: `Site ${i}`, url: `https://s${i}.bench.test`, status: 'up' })),
  next_cursor: null,
};

const app = express();
app.use(express.json());
app.post('/mcp', async (req, res) => {
  const server = new McpServer({ name: 'bare', version: '1.0.0' });
  server.registerTool(
    'list_sites',
    { description: 'Lists sites', inputSchema: { team_id: z.number().int().optional() } },
    async () => ({ content: [{ type: 'text', text: JSON.stringify(PAGE) }], structuredContent: PAGE }),
  );
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
announce(app);
