from .permissions import has_capability


def navigation(request):
    """Which top-level sections the signed-in user may open (the permissions module decides)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    caps = {
        "reviews": "shooting_reviews.view",
        "incidents": "incidents.view",
        "coordination": "coordination.view",
        "followups": "followups.view",
        "performance": "performance.view",
        "worksheet": "worksheet.view",
        "audit": "audit.view",
        "administration": "admin.manage",
        "caseload": "contacts.record",
        "call_ins": "call_ins.record",
        "schedule_reviews": "shooting_reviews.edit",
    }
    return {"nav": {name: has_capability(user, cap) for name, cap in caps.items()}}
