import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/**
 * A small CRM as an MCP server: the worked example of a learner's own spec (../SPEC.md,
 * docs/SPEC-FORMAT.md). Contacts and deals, kept in memory (each server starts empty, which is
 * what the spec's examples assume); deals move through a pipeline with rules the spec states.
 */

export const STAGES = ['lead', 'qualified', 'proposal', 'won', 'lost'] as const;
export type Stage = (typeof STAGES)[number];

/** R-DEAL-3: forward one stage at a time; `lost` from any open stage; `won` and `lost` are final. */
export const MOVES: Record<Stage, readonly Stage[]> = {
  lead: ['qualified', 'lost'],
  qualified: ['proposal', 'lost'],
  proposal: ['won', 'lost'],
  won: [],
  lost: [],
};

const Contact = z.object({ id: z.string(), name: z.string(), email: z.string(), company: z.string().nullable() });
const Deal = z.object({ id: z.string(), contact: z.string(), title: z.string(), amount: z.number(), stage: z.enum(STAGES) });
type Contact = z.infer<typeof Contact>;
type Deal = z.infer<typeof Deal>;

/** A mistake of the caller: a tool error the model can read and fix its call from. */
class CrmError extends Error {}

export function createServer(): McpServer {
  const contacts = new Map<string, Contact>();
  const deals = new Map<string, Deal>();
  const server = new McpServer({ name: 'crm', version: '1.0.0' });

  const contactOf = (id: string): Contact => {
    const contact = contacts.get(id);
    if (!contact) throw new CrmError(`No contact ${id}. Contacts have ids like C-1; list_contacts shows them.`);
    return contact;
  };
  // Every tool body goes through here: a CrmError becomes a tool error, anything else is a bug.
  const run = <T extends Record<string, unknown>>(body: () => T): CallToolResult => {
    try {
      const structuredContent = body();
      return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
    } catch (error) {
      if (error instanceof CrmError) return { isError: true, content: [{ type: 'text', text: error.message }] };
      throw error;
    }
  };

  server.registerTool(
    'create_contact',
    {
      description: 'Add a contact. The email must not belong to another contact.',
      inputSchema: { name: z.string().trim().min(1), email: z.email(), company: z.string().optional() },
      outputSchema: { contact: Contact },
    },
    ({ name, email, company }) =>
      run(() => {
        const taken = [...contacts.values()].find((c) => c.email.toLowerCase() === email.toLowerCase());
        if (taken) throw new CrmError(`${email} already belongs to ${taken.id} (${taken.name}).`);
        const contact = { id: `C-${contacts.size + 1}`, name, email, company: company ?? null };
        contacts.set(contact.id, contact);
        return { contact };
      }),
  );

  server.registerTool(
    'list_contacts',
    {
      description: 'List contacts, oldest first; only those of a company when given.',
      inputSchema: { company: z.string().optional() },
      outputSchema: { contacts: z.array(Contact) },
      annotations: { readOnlyHint: true },
    },
    ({ company }) => run(() => ({ contacts: [...contacts.values()].filter((c) => company === undefined || c.company === company) })),
  );

  server.registerTool(
    'create_deal',
    {
      description: 'Open a deal with a contact; it starts in the lead stage.',
      inputSchema: { contact: z.string(), title: z.string().trim().min(1), amount: z.number().nonnegative() },
      outputSchema: { deal: Deal },
    },
    ({ contact, title, amount }) =>
      run(() => {
        contactOf(contact);
        const deal: Deal = { id: `D-${deals.size + 1}`, contact, title, amount, stage: 'lead' };
        deals.set(deal.id, deal);
        return { deal };
      }),
  );

  server.registerTool(
    'move_deal',
    {
      description: `Move a deal to another stage: forward one stage at a time (${STAGES.slice(0, 4).join(' → ')}), or to lost from any open stage.`,
      inputSchema: { id: z.string(), stage: z.enum(STAGES) },
      outputSchema: { deal: Deal },
    },
    ({ id, stage }) =>
      run(() => {
        const deal = deals.get(id);
        if (!deal) throw new CrmError(`No deal ${id}. Deals have ids like D-1.`);
        const allowed = MOVES[deal.stage];
        if (!allowed.includes(stage)) {
          throw new CrmError(`${id} is ${deal.stage}; it can move to ${allowed.length ? allowed.join(' or ') : 'no other stage (it is closed)'}, not ${stage}.`);
        }
        deal.stage = stage;
        return { deal };
      }),
  );

  server.registerResource('pipeline', 'crm://pipeline', { title: 'Pipeline', description: 'Deals and their total amount per stage', mimeType: 'application/json' }, (uri) => {
    const stages = Object.fromEntries(STAGES.map((s) => [s, { deals: 0, amount: 0 }]));
    for (const deal of deals.values()) {
      stages[deal.stage]!.deals += 1;
      stages[deal.stage]!.amount += deal.amount;
    }
    return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ stages }) }] };
  });

  server.registerResource(
    'contact',
    new ResourceTemplate('crm://contacts/{id}', {
      list: () => ({ resources: [...contacts.values()].map((c) => ({ uri: `crm://contacts/${c.id}`, name: c.name, mimeType: 'application/json' })) }),
    }),
    { title: 'A contact and their deals', mimeType: 'application/json' },
    (uri, { id }) => {
      const contact = contacts.get(String(id));
      // -32002: the resource-not-found code the MCP spec names (the SDK has no constant for it).
      if (!contact) throw new McpError(-32002, `No contact ${String(id)}`, { uri: uri.href });
      const theirs = [...deals.values()].filter((d) => d.contact === contact.id);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ ...contact, deals: theirs }) }] };
    },
  );

  server.registerPrompt(
    'follow_up',
    { description: "Draft a follow-up to a contact about their open deals", argsSchema: { contact: z.string() } },
    ({ contact: id }) => {
      const contact = contacts.get(id);
      if (!contact) throw new McpError(ErrorCode.InvalidParams, `No contact ${id}`);
      const open = [...deals.values()].filter((d) => d.contact === id && d.stage !== 'won' && d.stage !== 'lost');
      const lines = open.map((d) => `- ${d.id} "${d.title}" (${d.stage}, ${d.amount})`);
      const text =
        `Write a short follow-up email to ${contact.name} <${contact.email}>` +
        (open.length ? ` about these open deals:\n${lines.join('\n')}` : ', who has no open deals: ask how we can help.');
      return { messages: [{ role: 'user', content: { type: 'text', text } }] };
    },
  );

  return server;
}
