/** `scheme://` and an authority with an `@`: a user name, perhaps a password, before the host. */
const USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*@/i;

/** Whether a URL carries userinfo (`https://user:password@host/`, or a token as the user). */
export function hasUserinfo(url: string): boolean {
  return USERINFO.test(url);
}
