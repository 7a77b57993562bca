"""Members of the municipality's organisations, managed by its coordinators and
administrators: invite by e-mail, change role, deactivate, lift a login lockout."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.tenancy import current_municipality
from samverkan.core.views import add_validation_error
from samverkan.organizations.models import Membership, Organization

from . import services
from .forms import InvitationForm, MembershipForm, SignupForm
from .models import Invitation


def _municipality_or_403(request):
    municipality = current_municipality(request)
    if municipality is None or not services.may_manage_members(request.user, municipality):
        raise PermissionDenied
    return municipality


def _grantable(user, municipality):
    return [(value, label) for value, label in Role.choices
            if services.may_grant(user, municipality, value)]


@login_required
def members(request):
    municipality = _municipality_or_403(request)
    # Only the organisations the coordinator may see (a restricted one stays hidden here too).
    organizations = access.filter_visible(
        Organization.objects.filter(municipality=municipality), request.user).order_by("name")
    form = InvitationForm(request.POST or None, organizations=organizations,
                          roles=_grantable(request.user, municipality))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.invite(actor=request.user, organization=data["organization"],
                        email=data["email"], role=data["role"], title=data["title"])
        messages.success(request, _("The invitation to %(email)s is on its way.")
                         % {"email": data["email"]})
        return redirect("accounts:members")
    memberships = (Membership.objects.filter(organization__in=organizations)
                   .select_related("user", "organization")
                   .order_by("-active", "user__last_name", "user__username"))
    invitations = (Invitation.objects.filter(organization__in=organizations,
                                             accepted_at__isnull=True, cancelled_at__isnull=True)
                   .select_related("organization"))
    return render(request, "accounts/members.html", {
        "municipality": municipality, "memberships": memberships, "form": form,
        "invitations": [i for i in invitations if i.is_open],
    })


@login_required
def membership_edit(request, pk):
    municipality = _municipality_or_403(request)
    membership = get_object_or_404(Membership.objects.select_related("user", "organization"),
                                   pk=pk, organization__municipality=municipality)
    roles = _grantable(request.user, municipality)
    if not services.may_grant(request.user, municipality, membership.role):
        raise PermissionDenied
    form = MembershipForm(request.POST or None, roles=roles, versioned=membership, initial={
        "role": membership.role, "title": membership.title, "active": membership.active})
    if request.method == "POST" and form.is_valid():
        try:
            with form.locked_version():  # optimistic locking, under the row lock
                services.change_membership(membership, actor=request.user,
                                           **form.cleaned_data)
        except PermissionDenied:
            form.add_error(None, _("You cannot lower your own role or deactivate yourself; "
                                   "ask another coordinator."))
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The membership is saved."))
            return redirect("accounts:members")
    return render(request, "accounts/form_page.html", {
        "form": form, "page_title": f"{membership.user.get_full_name() or membership.user}"
                                    f" – {membership.organization}",
        "cancel_url": reverse("accounts:members")})


@require_POST
@login_required
def invitation_cancel(request, pk):
    municipality = _municipality_or_403(request)
    invitation = get_object_or_404(Invitation, pk=pk, organization__municipality=municipality)
    services.cancel_invitation(invitation, actor=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("accounts:members")


@require_POST
@login_required
def member_unlock(request, user_pk):
    municipality = _municipality_or_403(request)
    user = get_object_or_404(get_user_model(), pk=user_pk)
    services.lift_lockout(user, actor=request.user, municipality=municipality)
    messages.success(request, _("The login lockout of %(user)s is lifted.")
                     % {"user": user.get_full_name() or user.get_username()})
    return redirect("accounts:members")


def invitation_accept(request, token):
    """The one-time link: make an account (or use the one logged in) and join."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        if request.method == "POST":
            services.accept_invitation(invitation, user=request.user)
            messages.success(request, _("You are now a member of %(org)s.")
                             % {"org": invitation.organization})
            return redirect("home")
        return render(request, "accounts/invitation_accept.html",
                      {"invitation": invitation, "form": None})
    form = SignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=data["username"], email=invitation.email, password=data["password1"],
                first_name=data["first_name"], last_name=data["last_name"])
            services.accept_invitation(invitation, user=user)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("home")
    return render(request, "accounts/invitation_accept.html",
                  {"invitation": invitation, "form": form})


