"""Single sign-on with OpenID Connect, configured per organisation (docs/SINGLE_SIGN_ON.md)."""
