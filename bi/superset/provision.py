"""After `superset import-dashboards`: point the imported database at AR_BI_URI and
read every dataset's columns (types, date columns, the views' column comments as
descriptions) from the database, as Superset's "Sync columns from source" does.
Run with the Superset virtualenv's python: python provision.py URI"""
import sys

from superset.app import create_app

app = create_app()
with app.app_context():
    from superset import db
    from superset.connectors.sqla.models import SqlaTable
    from superset.models.core import Database

    uri = sys.argv[1]
    database = db.session.query(Database).filter_by(database_name="ar_analytics").one()
    database.set_sqlalchemy_uri(uri)
    db.session.commit()
    failed = []
    for ds in db.session.query(SqlaTable).filter_by(database_id=database.id).all():
        try:
            ds.fetch_metadata()
            print(f"dataset ar.{ds.table_name}: {len(ds.columns)} columns")
        except Exception as ex:  # one message per view, then exit non-zero
            failed.append(f"ar.{ds.table_name}: {ex}")
    db.session.commit()
    if failed:
        sys.exit("cannot read from the database:\n  " + "\n  ".join(failed))
