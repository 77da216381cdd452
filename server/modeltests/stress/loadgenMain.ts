// Entry of the load-generator child when the engine runs from its sources
// (tests under tsx). The bundled engine starts `modelgate __loadgen` instead.
import { runLoadgenChild } from './loadgenWorker';

void runLoadgenChild();
