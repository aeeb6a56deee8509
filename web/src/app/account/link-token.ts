import { Location } from '@angular/common';
import { inject } from '@angular/core';
import { ActivatedRoute } from '@angular/router';

/**
 * The `token` a mailed link carries in its fragment (`#token=...`), read once; the fragment is
 * then removed from the address bar (`history.replaceState` through `Location`) so the token
 * stays out of the history, bookmarks and screenshots. Call from an injection context.
 */
export function takeLinkToken(): string | null {
  const route = inject(ActivatedRoute);
  const location = inject(Location);
  const fragment = route.snapshot.fragment;
  const token = new URLSearchParams(fragment ?? '').get('token');
  if (fragment !== null) {
    location.replaceState(location.path(false));
  }
  return token === null || token.trim() === '' ? null : token.trim();
}
