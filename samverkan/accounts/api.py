"""API: obtain a token (with lockout and throttling), list and revoke tokens."""
from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import otp, services
from .choices import TokenScope
from .lockout import lockout_message
from .models import ApiToken
from .throttling import TokenEndpointThrottle


class ObtainTokenSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False,
                                     style={"input_type": "password"})
    otp = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                help_text=_("The code of the authenticator app (or a recovery "
                                            "code) when two-step verification is on."))
    name = serializers.CharField(max_length=100, required=False, default="API")
    scope = serializers.ChoiceField(choices=TokenScope.choices, default=TokenScope.READ)
    days = serializers.IntegerField(min_value=1, max_value=365, default=30)


class ApiTokenSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "user", "name", "prefix", "scope", "second_factor", "created_at",
                  "expires_at", "last_used_at", "revoked_at", "is_active"]
        read_only_fields = fields


class IssuedTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text=_("Shown only now."))

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ObtainTokenView(APIView):
    """Exchange username and password (and the second factor when the user has one) for a
    token with a scope and an expiry. Failed attempts count towards the lockout."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenEndpointThrottle]

    @extend_schema(request=ObtainTokenSerializer, responses={201: IssuedTokenSerializer},
                   operation_id="auth_token_create", tags=["auth"])
    def post(self, request):
        serializer = ObtainTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        django_request = request._request
        user = authenticate(request=django_request, username=data["username"],
                            password=data["password"])
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                return Response({"detail": lockout_message()},
                                status=status.HTTP_429_TOO_MANY_REQUESTS)
            return Response({"detail": _("Wrong username or password.")},
                            status=status.HTTP_400_BAD_REQUEST)
        verified = False
        if otp.has_device(user):
            if not data.get("otp") or match_token(user, "".join(data["otp"].split())) is None:
                otp.log.warning("second factor failed", extra={"event": "otp_failed",
                                                               "user_id": user.pk})
                return Response({"otp": [_("Give the code from your authenticator app.")]},
                                status=status.HTTP_400_BAD_REQUEST)
            verified = True
        elif otp.second_factor_required(user):
            return Response({"detail": _("Your role requires two-step verification: turn it "
                                         "on under Account before making a token.")},
                            status=status.HTTP_403_FORBIDDEN)
        token, key = services.create_token(user=user, name=data["name"], scope=data["scope"],
                                           days=data["days"], second_factor=verified)
        body = IssuedTokenSerializer(token).data
        body["key"] = key
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Your tokens (administrators: also those of their municipality's members). DELETE
    revokes a token; it stays listed as revoked."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        return services.tokens_administered_by(self.request.user).select_related("user")

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError) as exc:
            from django.http import Http404

            raise Http404 from exc

    def perform_destroy(self, instance):
        services.revoke_token(instance, actor=self.request.user)
