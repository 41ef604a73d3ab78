from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class SignupIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    first_name: Name
    last_name: Name
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
    password1: Annotated[str, Field(min_length=1, max_length=1024)]
    password2: Annotated[str, Field(min_length=1, max_length=1024)]
    city: Name
    country: Name


class UserOut(BaseModel):
    user_id: uuid.UUID
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    city: str
    country: str
    is_active: bool


class SignupOut(UserOut):
    message: str


class ProfileOut(UserOut):
    created_at: datetime
    # Whether the account followed the confirmation link sent at signup (docs/contest.md).
    email_confirmed: bool


class ConfirmIn(BaseModel):
    token: Annotated[str, Field(min_length=1, max_length=2048)]


class LoginIn(BaseModel):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class RefreshIn(BaseModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=512)]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the OAuth2 scheme name, not a secret
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


class MessageOut(BaseModel):
    message: str


class StatusOut(BaseModel):
    status: str
