// Entry of the engine host bundle (dist/engine.js), forked by the language server.
import { runHost } from './host';

runHost();
