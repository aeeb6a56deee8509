package dev.latchkey.server.http.oidc;

/** The OpenID provider's endpoints, built by the server's root. */
public record OidcRoutes(
    AuthorizeRoute authorize,
    TokenRoute token,
    UserInfoRoute userInfo,
    EndSessionRoute endSession) {}
