/**
 * The chat template of the simulated model: turns `messages` (and the tools offered) into the
 * prompt text the model reads, as TGI renders a model's Jinja template (router/src/infer/
 * chat_template.rs). The template is deliberately simple and fixed:
 *
 * ```text
 * <role label>: <content>\n\n        one block per message, in order
 * Assistant:                         the generation prompt
 * ```
 *
 * Role labels: `developer` → `Developer`, `system` → `System`, `user` → `User`, `assistant` →
 * `Assistant`, `tool` → `Tool` (with ` (<tool_call_id>)` when given). Content is the text of the
 * message (text parts joined; image, audio and file parts are ignored: the model reads text
 * only). An assistant message's tool calls follow its content as `[call <name>(<arguments>)]`.
 * When tools are offered (and `tool_choice` is not `none`), a system block comes first:
 * `Tools: <name>: <description>; …` followed by TGI's default tool prompt. The tokenizer adds
 * `<s>` in front, so the prompt's tokens (usage.prompt_tokens) are `<s>` plus the tokens of this
 * text.
 */
import type { ChatMessageIn, ChatRole, ToolIn } from './request.js';

const ROLE_LABELS: Record<ChatRole, string> = {
  developer: 'Developer',
  system: 'System',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
};

/** TGI's `default_tool_prompt()` (router/src/lib.rs). */
export const TOOL_PROMPT =
  'Given the functions available, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.';

function messageBlock(m: ChatMessageIn): string {
  const label = m.role === 'tool' && m.toolCallId !== null ? `${ROLE_LABELS.tool} (${m.toolCallId})` : ROLE_LABELS[m.role];
  const calls = m.toolCalls.map((c) => `[call ${c.name}(${c.arguments})]`);
  const text = [m.content ?? '', ...calls].filter((s) => s !== '').join(' ');
  return `${label}: ${text}\n\n`;
}

/** The prompt text for `messages`, with the tools block when tools are offered. */
export function applyChatTemplate(messages: readonly ChatMessageIn[], tools: readonly ToolIn[] | null): string {
  let out = '';
  if (tools !== null && tools.length > 0) {
    const list = tools.map((t) => (t.description ? `${t.name}: ${t.description}` : t.name)).join('; ');
    out += `System: Tools: ${list}. ${TOOL_PROMPT}\n\n`;
  }
  for (const m of messages) out += messageBlock(m);
  return `${out}Assistant:`;
}
