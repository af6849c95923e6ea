from .views import documents, ledger, payments, reports

app_name = "finance"

urlpatterns = [*ledger.urlpatterns, *documents.urlpatterns, *payments.urlpatterns, *reports.urlpatterns]
