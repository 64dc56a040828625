/** TGI's native routes: /generate, /generate_stream, the compat route POST / and /info. */
import { TGI_SURFACE } from '../engine/cases.js';
import { nativeApi, readInfo } from './native.js';

const PATHS = { 'POST /generate': '/generate', 'POST /generate_stream': '/generate_stream', 'POST /': '/', discover: '/info' } as const;

export const tgiApi = nativeApi({
  name: 'tgi',
  title: "Text Generation Inference's native routes (/generate, /generate_stream, POST /, /info)",
  surface: TGI_SURFACE,
  compatShape: 'array',
  scenarioRoutes: { nonStream: 'POST /generate', stream: 'POST /generate_stream', streamInBody: false },
  normaliseUrl: (url) => url.replace(/\/+$/, ''),
  routeUrl(url, route) {
    const path = (PATHS as Record<string, string | undefined>)[route];
    if (path === undefined) throw new Error(`the tgi API has no route ${route}`);
    return `${url.replace(/\/+$/, '')}${path}`;
  },
  builtIn: { profile: 'tgi', url: (serverUrl) => serverUrl },
  discover: readInfo,
});
