from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class FanSignupIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
    password1: Annotated[str, Field(min_length=1, max_length=1024)]
    password2: Annotated[str, Field(min_length=1, max_length=1024)]


class FanSignupOut(BaseModel):
    message: str
    user_id: uuid.UUID
    email: str
    name: str
    kind: Literal["fan"] = "fan"
