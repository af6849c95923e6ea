from .views import documents, ledger, reports

app_name = "finance"

urlpatterns = [*ledger.urlpatterns, *documents.urlpatterns, *reports.urlpatterns]
