import { Component, ElementRef, effect, input, viewChild } from '@angular/core';
import qrcode from 'qrcode-generator';

/** Pixels per QR module, and the quiet zone around the code in modules (the standard asks 4). */
const MODULE_PX = 5;
const QUIET_MODULES = 4;

/**
 * A QR code of `text` drawn on a canvas in the browser: the TOTP secret never leaves the page
 * for a QR service. The `otpauth://` URI is also shown as text beside it.
 */
@Component({
  selector: 'app-qr-code',
  template: `<canvas
    #canvas
    role="img"
    [attr.aria-label]="label()"
    data-testid="totp-qr"
  ></canvas>`,
})
export class QrCode {
  readonly text = input.required<string>();
  readonly label = input('QR code');
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');

  constructor() {
    effect(() => draw(this.canvas().nativeElement, this.text()));
  }
}

/** Draws `text` as a QR code (error correction M) on `canvas`, dark modules on white. */
export function draw(canvas: HTMLCanvasElement, text: string): void {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const modules = qr.getModuleCount();
  const size = (modules + 2 * QUIET_MODULES) * MODULE_PX;
  canvas.width = size;
  canvas.height = size;
  canvas.dataset['modules'] = String(modules);
  const g = canvas.getContext('2d');
  if (g === null) {
    return; // no 2D context (a test DOM): the secret is shown as text as well
  }
  g.fillStyle = '#fff';
  g.fillRect(0, 0, size, size);
  g.fillStyle = '#000';
  for (let row = 0; row < modules; row++) {
    for (let col = 0; col < modules; col++) {
      if (qr.isDark(row, col)) {
        g.fillRect(
          (col + QUIET_MODULES) * MODULE_PX,
          (row + QUIET_MODULES) * MODULE_PX,
          MODULE_PX,
          MODULE_PX,
        );
      }
    }
  }
}
