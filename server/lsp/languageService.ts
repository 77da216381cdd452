// The language service: every feature of the server behind one object,
// sharing one FileFacts cache. It knows nothing of the transport; server.ts
// connects it to an LSP connection and tests call it directly.
import { FileFacts } from './fileFacts';
import { createCodeActionService } from './services/codeActions';
import { createCompletionService } from './services/completion';
import { createHoverService } from './services/hover';
import { createLinkService } from './services/links';
import { createSymbolService } from './services/symbols';
import { createValidationService } from './services/validation';

export interface LanguageServiceOptions {
  /** Longest completion, hover and links wait for a file never read before. */
  budgetMs?: number;
  /** How long a file fact is trusted before it is re-read in the background. */
  factsTtlMs?: number;
  facts?: FileFacts;
}

export function getLanguageService(opts: LanguageServiceOptions = {}) {
  const facts = opts.facts ?? new FileFacts(opts.factsTtlMs ?? 1000);
  const budgetMs = opts.budgetMs ?? 100;
  const validation = createValidationService(facts);
  const completion = createCompletionService(facts, { budgetMs });
  const hover = createHoverService(facts, { budgetMs });
  const codeActions = createCodeActionService(facts, { budgetMs: Math.max(budgetMs, 200) });
  const symbols = createSymbolService();
  const links = createLinkService(facts, { budgetMs });
  return {
    facts,
    validate: validation.validate,
    complete: completion.complete,
    hover: hover.hover,
    codeActions: codeActions.codeActions,
    symbols: symbols.symbols,
    links: links.links,
  };
}

export type LanguageService = ReturnType<typeof getLanguageService>;
