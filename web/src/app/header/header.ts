import { Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive } from '@angular/router';
import { AuthService, CodeFlowService } from '@latchkey/angular';

import { ConfigService } from '../core/app-config';

@Component({
  selector: 'app-header',
  imports: [RouterLink, RouterLinkActive],
  templateUrl: './header.html',
})
export class Header {
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthService);
  protected readonly config = inject(ConfigService).config;
  private readonly codeFlow = inject(CodeFlowService);

  protected logout(): void {
    if (this.config().codeFlowClientId !== null) {
      // also ends the auth server's single-sign-on session, then comes back to this app's root
      this.codeFlow.signOut();
      return;
    }
    this.auth.logout();
    void this.router.navigateByUrl('/login');
  }
}
