import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { serveBench } from './serve.js';

/**
 * Baseline 1: the shape of the SDK's stateless streamable-HTTP example (simpleStatelessStreamableHttp):
 * the SDK's express app, and per request a new McpServer and a session-less transport, here with one tool.
 */
function greeter(): McpServer {
  const server = new McpServer({ name: 'bare-sdk-bench', version: '1.0.0' });
  server.registerTool(
    'greet',
    { description: 'Greets someone by name.', inputSchema: { name: z.string() } },
    async ({ name }) => ({ content: [{ type: 'text', text: `Hello, ${name}` }] }),
  );
  return server;
}

await serveBench(() => {
  const app = createMcpExpressApp();
  app.post('/mcp', async (req, res) => {
    const server = greeter();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  return { handler: app };
});
