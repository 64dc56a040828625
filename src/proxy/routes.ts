/**
 * Where a proxied request goes on the target, and which API judges it. The proxy's root stands
 * for the target URL: a client points at the proxy exactly as it would at the target (the base
 * URL of TGI's routes, the seed document's endpoint, or a server's root with `/v1` added by the
 * OpenAI clients).
 */
import type { ApiName, RouteName } from '../core/exchange.js';

/** The native flavour that judges paths other than the OpenAI-compatible ones. */
export type NativeFlavour = 'tgi' | 'hf' | 'openai';

export type RouteDecision = { judged: true; route: RouteName; api: ApiName } | { judged: false; reason: string };

/** The URL on the target of a request the proxy received (`path` with its query). */
export function targetUrl(target: URL, path: string): URL {
  const base = target.pathname.replace(/\/+$/, '');
  const q = path.indexOf('?');
  const pathname = q < 0 ? path : path.slice(0, q);
  const query = q < 0 ? '' : path.slice(q);
  // The proxy's "/" is the target URL itself (an endpoint such as /models/org/model has no trailing slash).
  const joined = pathname === '/' && base !== '' ? base : `${base}${pathname.startsWith('/') ? '' : '/'}${pathname}`;
  const url = new URL(target.origin);
  url.pathname = joined === '' ? '/' : joined;
  url.search = query;
  return url;
}

const OPENAI_SUFFIXES: readonly [string, string, RouteName][] = [
  ['/v1/chat/completions', 'POST', 'POST /v1/chat/completions'],
  ['/v1/completions', 'POST', 'POST /v1/completions'],
  ['/v1/models', 'GET', 'GET /v1/models'],
];

/**
 * The route of a request, by its path (without the query): a path ending in
 * `/v1/chat/completions`, `/v1/completions` or `/v1/models` is the OpenAI-compatible API's;
 * other paths are the native flavour's: `/generate` and `/generate_stream` (by suffix), and the
 * proxy's root (the target URL: TGI's `POST /`, or the seed document's endpoint); with `hf`,
 * also `/models/…` under a bare host (the Inference API's own paths). Anything else is forwarded
 * and not judged, with the reason.
 *
 * @param path the path the client asked of the proxy (the target URL's stands for "/"), with its query
 * @param upstreamPath the path on the target, for the `/v1` suffixes (a target URL may end in `/v1`)
 */
export function routeOf(method: string, path: string, flavour: NativeFlavour, upstreamPath: string = path): RouteDecision {
  const pathname = withoutQuery(path);
  const upstream = withoutQuery(upstreamPath);
  for (const [suffix, expected, route] of OPENAI_SUFFIXES) {
    if (!upstream.endsWith(suffix)) continue;
    if (method !== expected) return { judged: false, reason: `${method} ${suffix}: the contract defines ${expected} only` };
    return { judged: true, route, api: 'openai' };
  }
  if (flavour !== 'openai') {
    const native: RouteName | undefined = pathname.endsWith('/generate_stream')
      ? 'POST /generate_stream'
      : pathname.endsWith('/generate')
        ? 'POST /generate'
        : pathname === '/' || (flavour === 'hf' && pathname.startsWith('/models/'))
          ? 'POST /'
          : undefined;
    if (native !== undefined) {
      if (method !== 'POST') return { judged: false, reason: `${method} ${pathname}: the contract defines POST only` };
      return { judged: true, route: native, api: flavour };
    }
  }
  return { judged: false, reason: `no API of tgc (${flavour === 'openai' ? 'openai' : `${flavour} and openai`}) defines ${pathname}` };
}

function withoutQuery(path: string): string {
  const q = path.indexOf('?');
  return (q < 0 ? path : path.slice(0, q)).replace(/\/+$/, '') || '/';
}
