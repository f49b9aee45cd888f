import type { RequestHandler, Response } from 'express';
import { answerUnavailable } from './unavailable-response.js';

/**
 * A request that has not started its answer within `timeoutMs` is answered 503 SERVICE_UNAVAILABLE
 * at once: a database that stalls must not hold clients for as long as it stalls. Its work is not
 * stopped (a write may still commit, which the client's retry with the same idempotency key finds);
 * whatever it would send afterwards goes nowhere. A response already under way (a download
 * streaming) is left alone. 0 turns the limit off.
 */
export function requestTimeout(timeoutMs: number): RequestHandler {
  return (_request, response, next) => {
    if (timeoutMs === 0) return next();
    const timer = setTimeout(() => {
      if (response.headersSent) return;
      answerUnavailable(response);
      discardLateWrites(response);
    }, timeoutMs);
    const clear = (): void => clearTimeout(timer);
    response.once('finish', clear).once('close', clear);
    next();
  };
}

/** The handler answering too late finds a response that quietly ignores it, instead of throwing "headers already sent". */
function discardLateWrites(response: Response): void {
  response.setHeader = () => response;
  response.writeHead = () => response;
  response.write = () => true;
  response.end = () => response;
}
