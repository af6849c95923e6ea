from .views import bank, documents, ledger, payments, reports

app_name = "finance"

urlpatterns = [
    *ledger.urlpatterns,
    *documents.urlpatterns,
    *payments.urlpatterns,
    *bank.urlpatterns,
    *reports.urlpatterns,
]
