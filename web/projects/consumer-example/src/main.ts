import { bootstrapApplication } from '@angular/platform-browser';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { LatchkeyOptions, provideLatchkey } from '@latchkey/angular';

import { App, routes } from './app/app';

bootstrapApplication(App, {
  providers: [
    provideRouter(routes, withComponentInputBinding()),
    // Settings known at build time go in as an object:
    //   provideLatchkey({ authUrl: 'https://auth.example.com', delivery: 'body' })
    // This example reads them from its server at start-up instead.
    provideLatchkey(() =>
      fetch('/latchkey.json').then((answer) => answer.json() as Promise<LatchkeyOptions>),
    ),
  ],
}).catch((err) => console.error(err));
