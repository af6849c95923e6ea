from .instances import ApprovalAction, ApprovalCc, ApprovalChain, ApprovalInstance, ApprovalTask, Delegation
from .templates import ApprovalTemplate, TemplateVersion

__all__ = [
    "ApprovalAction",
    "ApprovalCc",
    "ApprovalChain",
    "ApprovalInstance",
    "ApprovalTask",
    "ApprovalTemplate",
    "Delegation",
    "TemplateVersion",
]
