import { HttpClient } from '@angular/common/http';
import { Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterOutlet, Routes } from '@angular/router';
import { AuthService, authGuard, loginErrorMessage, safeReturnUrl } from '@latchkey/angular';

interface Lesson {
  readonly id: number;
  readonly title: string;
}

/** A login form: `AuthService.login()`, then back to where the guard came from. */
@Component({
  selector: 'app-login',
  imports: [FormsModule],
  template: `
    <h1>Log in</h1>
    <form (ngSubmit)="submit()">
      <input name="email" type="email" [(ngModel)]="email" data-testid="login-email" />
      <input name="password" type="password" [(ngModel)]="password" data-testid="login-password" />
      <button type="submit" data-testid="login-submit">Log in</button>
    </form>
    @if (error(); as message) {
      <p role="alert" data-testid="login-error">{{ message }}</p>
    }
  `,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  readonly returnUrl = input<string>();
  protected email = '';
  protected password = '';
  protected readonly error = signal<string | null>(null);

  protected submit(): void {
    this.auth.login(this.email, this.password).subscribe({
      next: () => void this.router.navigateByUrl(safeReturnUrl(this.returnUrl(), '/lessons')),
      error: (err: unknown) => this.error.set(loginErrorMessage(err)),
    });
  }
}

/** The lessons, read with the session: the interceptor adds it. */
@Component({
  selector: 'app-lessons',
  template: `
    <h1>Lessons</h1>
    <ul data-testid="lessons-list">
      @for (lesson of lessons(); track lesson.id) {
        <li data-testid="lesson-item">{{ lesson.title }}</li>
      }
    </ul>
    <button type="button" data-testid="nav-logout" (click)="logout()">Log out</button>
  `,
})
export class LessonsPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  protected readonly lessons = signal<readonly Lesson[]>([]);

  constructor() {
    inject(HttpClient)
      .get<Lesson[]>('/api/lessons')
      .subscribe((lessons) => this.lessons.set(lessons));
  }

  protected logout(): void {
    this.auth.logout();
    void this.router.navigateByUrl('/login');
  }
}

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'lessons' },
  { path: 'login', component: LoginPage },
  { path: 'lessons', canActivate: [authGuard], component: LessonsPage },
  { path: '**', redirectTo: 'lessons' },
];

@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  template: `<router-outlet />`,
})
export class App {}
