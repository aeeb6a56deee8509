import { Component, inject } from '@angular/core';
import { Router } from '@angular/router';

import { AuthService } from '../core/auth.service';

/**
 * Where the auth server's hosted login page sends the browser back (`return_to`): the
 * session cookie is set, so ask the auth server how long the session lasts, then go on.
 */
@Component({
  selector: 'app-callback',
  template: `<section class="card"><p class="muted" role="status">Logging you in…</p></section>`,
})
export class CallbackPage {
  constructor() {
    const router = inject(Router);
    inject(AuthService)
      .checkSession()
      .subscribe({
        next: () => void router.navigateByUrl('/lessons'),
        error: () => void router.navigate(['/login'], { queryParams: { reason: 'hosted' } }),
      });
  }
}
