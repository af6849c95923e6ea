from .calendar import CalendarDay
from .leave import LeaveBalance, LeaveRequest, LeaveType

__all__ = ["CalendarDay", "LeaveBalance", "LeaveRequest", "LeaveType"]
