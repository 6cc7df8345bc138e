"""API routes of the classifier package (under /api/v1): an agent's label correction, a prediction's reasons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool

from gridvoice.api.deps import ActorDep, RuntimeDep
from gridvoice.appeals.schemas import MAX_ID
from gridvoice.classifier.service import LabelsIn, LabelsOut, correct_labels, explain_appeal

router = APIRouter(tags=["classifier"])
AppealId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/appeals/{appeal_id}/labels", response_model=LabelsOut)
def post_labels(appeal_id: AppealId, body: LabelsIn, runtime: RuntimeDep, actor: ActorDep) -> LabelsOut:
    """Correct an appeal's business type, topic or urgency (kept for the next training; audited)."""
    return correct_labels(runtime, appeal_id, body, actor)


@router.get("/appeals/{appeal_id}/labels/explain")
async def explain(appeal_id: AppealId, runtime: RuntimeDep, actor: ActorDep,
                  top: Annotated[int, Query(ge=1, le=50)] = 8) -> dict[str, Any]:
    """The model's labels for the appeal's text and the n-grams, words and cues that drove them (409 when no
    model is installed)."""
    # loading a model (first call) and featurizing are CPU work: keep them off the event loop
    return await run_in_threadpool(explain_appeal, runtime, appeal_id, actor, top)
