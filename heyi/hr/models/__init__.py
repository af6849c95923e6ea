from .leave import LeaveBalance, LeaveRequest, LeaveType

__all__ = ["LeaveBalance", "LeaveRequest", "LeaveType"]
