// Errors the HTTP front ends turn into a 4xx/5xx answer in their protocol's
// own shape. The message is for the user: what is wrong and how to fix it.
export class ServingError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code = 'MG300',
  ) {
    super(message);
    this.name = 'ServingError';
  }
}

export const badRequest = (message: string, code = 'MG345') => new ServingError(400, message, code);
export const notFound = (message: string, code = 'MG320') => new ServingError(404, message, code);
