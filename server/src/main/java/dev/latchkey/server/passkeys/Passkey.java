package dev.latchkey.server.passkeys;

import java.time.Instant;
import java.util.List;

/**
 * A registered passkey as its owner sees it ({@code GET /api/passkeys}).
 *
 * @param id the credential ID, base64url (the browser's {@code PublicKeyCredential.id})
 * @param name the owner's name for it
 * @param createdAt when it was registered
 * @param lastUsedAt when it last signed in, or {@code null}
 * @param transports the client's hints ({@code internal}, {@code hybrid}, {@code usb}, ...)
 * @param synced whether the credential may be backed up and synced to other devices (the BE flag):
 *     a multi-device passkey, whose sign-ins say {@code swk}; else device-bound, {@code hwk}
 */
public record Passkey(
    String id,
    String name,
    Instant createdAt,
    Instant lastUsedAt,
    List<String> transports,
    boolean synced) {}
