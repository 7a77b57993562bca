"""Account pages: two-step verification (TOTP + recovery codes) and personal API tokens."""
from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.core.views import safe_next

from . import otp, services
from .forms import CodeForm, TokenForm

SETUP_SESSION_KEY = "samverkan_totp_setup"


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def account(request):
    from samverkan.core.tenancy import current_municipality

    municipality = current_municipality(request)
    return render(request, "accounts/account.html", {
        "has_device": otp.has_device(request.user),
        "required": otp.second_factor_required(request.user),
        "verified": otp.is_verified(request.user),
        "tokens": request.user.api_tokens.all()[:50],
        "may_manage_members": municipality is not None and services.may_manage_members(
            request.user, municipality),
    })


@login_required
def two_factor_setup(request):
    """Step 1: scan the QR code (or type the key) into an authenticator app; step 2: type the
    code it shows. Then the recovery codes are shown once."""
    user = request.user
    if otp.has_device(user) and not otp.is_verified(user):
        return otp.challenge(request)
    device = None
    device_id = request.session.get(SETUP_SESSION_KEY)
    if device_id:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"),
                                           confirmed=False)
        request.session[SETUP_SESSION_KEY] = device.pk
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.confirm_totp(device, actor=user)
            request.session.pop(SETUP_SESSION_KEY, None)
            otp_login(request, device)
            request.session[otp.SESSION_KEY] = otp.ENROLLED
            messages.success(request, _("Two-step verification is on."))
            return render(request, "accounts/recovery_codes.html", {
                "codes": codes, "next": safe_next(request, reverse("accounts:account"))})
        form.add_error("code", _("The code did not match. Check that the phone's clock is "
                                 "right and type the code the app shows now."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr": _qr_data_uri(device.config_url),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "required": otp.second_factor_required(user), "next": safe_next(request),
    })


@login_required
def two_factor_verify(request):
    user = request.user
    next_url = safe_next(request, reverse("home"))
    if otp.is_verified(user):
        return redirect(next_url)
    if not otp.has_device(user):
        otp.forget_state(request)
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                left = device.token_set.count()
                messages.warning(request, _("You used a recovery code; %(left)s are left. Make "
                                            "new ones on your account page.") % {"left": left})
            return redirect(next_url)
        otp.log.warning("second factor failed", extra={"event": "otp_failed",
                                                       "user_id": user.pk})
        form.add_error("code", _("The code did not match. Type the code the app shows now, "
                                 "or a recovery code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@require_POST
@otp.verified_second_factor_required
def recovery_codes(request):
    codes = services.new_recovery_codes(request.user, actor=request.user)
    return render(request, "accounts/recovery_codes.html",
                  {"codes": codes, "next": reverse("accounts:account")})


@require_POST
@otp.verified_second_factor_required
def two_factor_disable(request):
    if otp.second_factor_required(request.user):
        messages.error(request, _("Your role requires two-step verification; it cannot be "
                                  "turned off."))
    else:
        services.remove_second_factor(request.user, actor=request.user)
        otp.forget_state(request)
        messages.success(request, _("Two-step verification is off."))
    return redirect("accounts:account")


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = services.create_token(
            user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"], second_factor=otp.is_verified(request.user))
        form = TokenForm()
    return render(request, "accounts/tokens.html", {
        "form": form, "new_key": new_key,
        "tokens": services.tokens_administered_by(request.user).select_related("user"),
    })


@require_POST
@login_required
def token_revoke(request, pk):
    token = get_object_or_404(services.tokens_administered_by(request.user), pk=pk)
    services.revoke_token(token, actor=request.user)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token})
    return redirect(safe_next(request, reverse("accounts:tokens")))
