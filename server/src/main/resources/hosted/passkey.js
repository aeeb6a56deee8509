// The hosted login page's passkey sign-in (issue 22), served from this server under the page's
// CSP (script-src 'self'; connect-src 'self'). Conditional UI: where the browser offers it, the
// email field's autofill lists the user's passkeys (autocomplete="username webauthn"); the button
// asks with the browser's own dialog. Either way the assertion is posted with the page's form, so
// the server answers as for a password: the session cookie and the redirect to return_to.
(function () {
  "use strict";
  var script = document.currentScript;
  var optionsUrl = script.getAttribute("data-options");
  var form = document.getElementById("passkey-form");
  var button = document.getElementById("passkey");
  if (!form || !button || !window.PublicKeyCredential || !navigator.credentials) {
    return;
  }
  button.hidden = false;
  var pending = null;

  function fromB64(s) {
    var b = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    var out = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
    return out.buffer;
  }
  function toB64(buf) {
    var bytes = new Uint8Array(buf), s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    var o = Object.assign({}, json, { challenge: fromB64(json.challenge) });
    if (json.allowCredentials) {
      o.allowCredentials = json.allowCredentials.map(function (c) {
        return Object.assign({}, c, { id: fromB64(c.id) });
      });
    }
    return o;
  }
  function credentialJson(c) {
    if (typeof c.toJSON === "function") return c.toJSON();
    var r = c.response;
    return {
      id: c.id, rawId: toB64(c.rawId), type: c.type,
      authenticatorAttachment: c.authenticatorAttachment || null,
      clientExtensionResults: c.getClientExtensionResults(),
      response: {
        clientDataJSON: toB64(r.clientDataJSON),
        authenticatorData: toB64(r.authenticatorData),
        signature: toB64(r.signature),
        userHandle: r.userHandle ? toB64(r.userHandle) : null
      }
    };
  }
  function options() {
    return fetch(optionsUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: "{}"
    }).then(function (r) {
      if (!r.ok) throw new Error("options " + r.status);
      return r.json();
    });
  }
  function signIn(mediation) {
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    return options().then(function (json) {
      var request = { publicKey: requestOptions(json), signal: controller.signal };
      if (mediation) request.mediation = mediation;
      return navigator.credentials.get(request);
    }).then(function (credential) {
      if (!credential) return;
      form.elements.passkey.value = JSON.stringify(credentialJson(credential));
      form.submit();
    });
  }
  button.addEventListener("click", function () {
    signIn(null).catch(function () {}); // a dismissed dialog leaves the form as it was
  });
  if (PublicKeyCredential.isConditionalMediationAvailable) {
    PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
      if (available) signIn("conditional").catch(function () {});
    });
  }
})();
