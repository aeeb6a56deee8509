import { Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive } from '@angular/router';
import { AuthService } from '@latchkey/angular';

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

  protected logout(): void {
    this.auth.logout();
    void this.router.navigateByUrl('/login');
  }
}
