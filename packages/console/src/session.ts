// The bearer token lives in sessionStorage only: it survives a reload of this tab and is gone when
// the tab closes; other tabs and windows never see it (issue 14: "kept for the tab only").
const KEY = "scimkit.console.token";

export function savedToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}

/** The SCIM base path from `<meta name="scim-base-path">`, without a trailing slash. */
export function basePath(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="scim-base-path"]');
  return (meta?.content || "/scim/v2").replace(/\/+$/, "");
}
