"""Open Referral HSDS 3.0: our directory as HSDS records (records), the official schemas (spec),
and the export to the JSON packages and the tabular CSV package (export)."""
