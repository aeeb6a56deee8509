import { Routes } from '@angular/router';

import {
  authGuard,
  codeFlowCallbackGuard,
  hostedLoginCallbackGuard,
  roleGuard,
} from '@latchkey/angular';

import { AccountPage } from './account/account';
import { ForgotPasswordPage } from './account/forgot-password';
import { ResetPasswordPage } from './account/reset-password';
import { VerifyEmailPage } from './account/verify-email';
import { AdminPage } from './admin/admin';
import { signupEnabledGuard } from './core/signup-enabled.guard';
import { LessonsPage } from './lessons/lessons';
import { LoginPage } from './login/login';
import { SignupPage } from './signup/signup';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'lessons' },
  {
    path: 'login',
    title: 'Log in · Latchkey',
    component: LoginPage,
  },
  {
    path: 'auth/callback',
    title: 'Logging in · Latchkey',
    canActivate: [hostedLoginCallbackGuard],
    children: [],
  },
  {
    // where the auth server's /authorize answers in code-flow mode (`latchkey demo --code-flow`);
    // without it the guard finds no pending sign-in and shows the login page
    path: 'auth/code',
    title: 'Signing in · Latchkey',
    canActivate: [codeFlowCallbackGuard],
    children: [],
  },
  {
    path: 'signup',
    title: 'Sign up · Latchkey',
    canActivate: [signupEnabledGuard],
    component: SignupPage,
  },
  // the paths the auth server's mails link to (`--account-pages-url` + /verify-email, /reset-password)
  { path: 'verify-email', title: 'Confirm your email · Latchkey', component: VerifyEmailPage },
  { path: 'reset-password', title: 'Set a new password · Latchkey', component: ResetPasswordPage },
  {
    path: 'forgot-password',
    title: 'Forgot your password? · Latchkey',
    component: ForgotPasswordPage,
  },
  {
    path: 'account',
    title: 'Your account · Latchkey',
    canActivate: [authGuard],
    component: AccountPage,
  },
  {
    path: 'lessons',
    title: 'Lessons · Latchkey',
    canActivate: [authGuard],
    component: LessonsPage,
  },
  {
    // hides the page from sessions without role admin; the API checks the role again
    path: 'admin',
    title: "Everyone's progress · Latchkey",
    canActivate: [roleGuard('admin')],
    component: AdminPage,
  },
  { path: '**', redirectTo: 'lessons' },
];
