"""The platform's web pages: company settings, people and roles, audit, events, jobs, webhooks."""
