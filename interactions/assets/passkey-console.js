// /account/passkeys: "Add a passkey" with the browser's WebAuthn API (WebAuthn Level 3 §5.1.3).
// The form posts to /account/passkeys/add either way; without this script that page explains
// that a passkey needs JavaScript. With it: the form's fields go to /account/passkeys/options
// (a fresh sign-in is checked there), the browser creates the credential from those options, and
// the form is posted with the credential as JSON for the server to verify and store.
(function () {
  'use strict';
  var form = document.getElementById('add-passkey');
  if (!form || !window.PublicKeyCredential || !navigator.credentials) return;
  var alertBox = document.getElementById('add-passkey-error');
  var button = form.querySelector('button[type="submit"]');
  // The refusals this script shows itself, in the page's language: the page writes them on the form.
  var notAdded = form.getAttribute('data-not-added') || 'The passkey could not be added. Try again.';
  var notCreated =
    form.getAttribute('data-not-created') ||
    'No passkey was created. Try again, and follow what your browser or device asks.';

  function fromBase64url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var bytes = atob(base64);
    var out = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
    return out.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = '';
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function show(message) {
    alertBox.textContent = message;
    alertBox.hidden = false;
    button.disabled = false;
  }

  // PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3 §5.1.1.1) → the binary form create() takes.
  function creationOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = fromBase64url(json.challenge);
    options.user = Object.assign({}, json.user, { id: fromBase64url(json.user.id) });
    options.excludeCredentials = (json.excludeCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: fromBase64url(c.id) });
    });
    return options;
  }

  // The credential → RegistrationResponseJSON (WebAuthn Level 3 §5.1.1.2).
  function registrationJson(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        attestationObject: toBase64url(response.attestationObject),
        transports: typeof response.getTransports === 'function' ? response.getTransports() : [],
      },
    };
  }

  form.addEventListener('submit', function (event) {
    if (form.elements.namedItem('response').value) return; // the credential is in: post it
    event.preventDefault();
    alertBox.hidden = true;
    button.disabled = true;
    fetch('/account/passkeys/options', {
      method: 'POST',
      headers: { Accept: 'application/json' },
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
    })
      .then(function (answer) {
        return answer.json().then(function (body) {
          if (!answer.ok) throw new Error(body.error || notAdded);
          return body;
        });
      })
      .then(function (options) {
        return navigator.credentials.create({ publicKey: creationOptions(options) }).catch(function () {
          throw new Error(notCreated);
        });
      })
      .then(function (credential) {
        form.elements.namedItem('response').value = JSON.stringify(registrationJson(credential));
        form.submit();
      })
      .catch(function (error) {
        show(error.message);
      });
  });
})();
