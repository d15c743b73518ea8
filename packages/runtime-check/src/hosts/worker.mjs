// workerd host of the smoke program: every request to the worker runs it and answers its JSON result
// (500 on failure). The SCIM server's URL and token come from text bindings; outbound fetch reaches
// 127.0.0.1 through the config's globalOutbound network service.
import { runSmoke } from "../smoke.mjs";

export default {
  /**
   * @param {Request} _request
   * @param {{ SCIM_BASE_URL: string; SCIM_TOKEN: string }} env
   */
  async fetch(_request, env) {
    const result = await runSmoke({
      baseUrl: env.SCIM_BASE_URL,
      token: env.SCIM_TOKEN,
      runtime: `workerd ${navigator.userAgent}`,
    });
    return new Response(JSON.stringify(result), {
      status: result.ok ? 200 : 500,
      headers: { "content-type": "application/json" },
    });
  },
};
