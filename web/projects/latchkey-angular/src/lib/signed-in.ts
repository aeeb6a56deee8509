import { HttpHeaders } from '@angular/common/http';

import { AuthService } from './auth.service';
import { authEndpointContext } from './http-context';
import { LatchkeyConfig } from './options';

/**
 * The options of a request the logged-in user makes to the auth server's account routes: body
 * mode sends the token as `Authorization: Bearer`, or `DPoP` for a bound token (the interceptor
 * adds the proof); cookie mode sends the session cookie (the interceptor adds `X-XSRF-TOKEN`). Marked as an auth endpoint: a 401 there is an answer, not
 * the end of the session.
 */
export function signedInRequest(config: LatchkeyConfig, auth: AuthService) {
  const settings = config.value;
  const authorization = settings.delivery === 'body' ? auth.getAuthorization() : null;
  return {
    headers: authorization === null ? undefined : new HttpHeaders({ Authorization: authorization }),
    withCredentials: settings.delivery === 'cookie',
    context: authEndpointContext(),
  };
}
