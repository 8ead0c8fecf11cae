import { type Dispatcher, interceptors, request as undiciRequest } from 'undici';
import { agentFor, type TlsOptions } from '../net/agent.js';
import { type FetchLike, fetchHeaders } from '../net/fetch.js';
import { webStreamOf } from './web-stream.js';

/**
 * GETs of image data (SourceReader's `download`) over one keep-alive connection pool, redirects followed as
 * fetch follows them (at most 20; credentials dropped when one leads to another origin).
 */
export function undiciDownloadWith(tls: TlsOptions | undefined): FetchLike {
  return undiciDownload(agentFor(tls).compose(interceptors.redirect({ maxRedirections: 20 })));
}

/**
 * Requests through `undici.request` whose body reaches the reader chunk by chunk as it arrives, where undici's
 * fetch copies every chunk into a new array (about a tenth of the CPU of a glance-direct upload). No
 * Accept-Encoding is sent: the bytes are the file as the server stores it.
 */
export function undiciDownload(dispatcher: Dispatcher): FetchLike {
  return async (url, init) => {
    const { statusCode, headers, body } = await undiciRequest(url, {
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      ...(init.signal ? { signal: init.signal } : {}),
      dispatcher,
    });
    const stream = init.method === 'HEAD' ? null : webStreamOf(body);
    if (stream === null) body.resume();
    return {
      status: statusCode,
      headers: fetchHeaders(headers),
      text: () => body.text(),
      body: stream,
    };
  };
}
