"""API routes of the satisfaction package (under /api/v1)."""

from fastapi import APIRouter

router = APIRouter(tags=["satisfaction"])
