"""The API tokens page: a user creates (sees it once) and revokes their own tokens; an
administrator also issues tokens for others and revokes anyone's."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from . import permissions
from .forms import apply_service_errors
from .htmx import refusal_text, render_page
from .models import ApiToken, User
from .pagination import paginate
from .tokens import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What it is for, e.g. 'case-management sync'.")
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    days = forms.IntegerField(
        min_value=1, max_value=settings.API_TOKEN_MAX_DAYS, initial=settings.API_TOKEN_DAYS
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, help_text="Issue it for this user."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if permissions.has_capability(user, "admin.manage"):
            self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("username")
        else:
            del self.fields["owner"]


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """GET: my tokens (an admin: everyone's); POST: issue one and show it this once."""
    user = request.user
    form = TokenForm(request.POST or None, user=user)
    raw = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                _token, raw = api_token_create(
                    user=user,
                    owner=data.get("owner") or user,
                    name=data["name"],
                    scope=data["scope"],
                    days=data["days"],
                    request=request,
                )
                form = TokenForm(user=user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
        if raw is None:
            status = 400
    tokens = permissions.api_tokens_visible_to(user)
    ctx = {"form": form, "raw": raw, "tokens": paginate(request, tokens)}
    return render_page(request, "core/tokens.html", ctx, status=status)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = permissions.get_api_token_for_user(request.user, pk)
    try:
        api_token_revoke(token=token, user=request.user, request=request)
    except ValidationError as exc:
        return render_page(
            request,
            "core/tokens.html",
            {
                "form": TokenForm(user=request.user),
                "refusal": refusal_text(exc),
                "tokens": paginate(request, permissions.api_tokens_visible_to(request.user)),
            },
            status=400,
        )
    return redirect("core:token-list")
