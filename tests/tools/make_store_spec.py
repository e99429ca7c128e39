"""Write tests/fixtures/store/spec.yaml: a realistic multi-resource API of our own.

    python tests/tools/make_store_spec.py

Seventeen resources, each with a model, a status enum, create/update params, a list
page and a deletion receipt, CRUD+list operations, nested inline objects, maps,
nullable fields, cross-resource references, shared components, a discriminated
union, names that collide after sanitising and many schemas sharing one title; plus
the operations real APIs add around them: a search with array styles, a header and a
cookie, an image upload (multipart), an OAuth token (url-encoded form), a PDF and a
CSV download, and an order's event stream (text/event-stream).
Deterministic: the same script always writes the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "store" / "spec.yaml"

RESOURCES = [
    ("customers", "Customer", {"email": "string", "name": "string", "address": "Address", "balance": "Money"}),
    ("products", "Product", {"name": "string", "price": "Money", "sku": "string", "active": "boolean"}),
    ("orders", "Order", {"customer_id": "string", "items": "items", "total": "Money", "note": "OrderNote"}),
    ("invoices", "Invoice", {"order_id": "string", "amount_due": "Money", "due_date": "date"}),
    ("payments", "Payment", {"invoice_id": "string", "amount": "Money", "method": "PaymentMethod"}),
    ("refunds", "Refund", {"payment_id": "string", "amount": "Money", "reason": "string"}),
    ("shipments", "Shipment", {"order_id": "string", "address": "Address", "carrier": "string"}),
    ("warehouses", "Warehouse", {"name": "string", "address": "Address", "capacity": "integer"}),
    ("suppliers", "Supplier", {"name": "string", "contact_email": "string", "rating": "number"}),
    ("coupons", "Coupon", {"code": "string", "percent_off": "number", "max_redemptions": "integer"}),
    ("reviews", "Review", {"product_id": "string", "stars": "integer", "body": "string"}),
    ("subscriptions", "Subscription", {"customer_id": "string", "plan": "string", "renews_at": "date-time"}),
    ("carts", "Cart", {"customer_id": "string", "items": "items"}),
    ("categories", "Category", {"name": "string", "parent_id": "string"}),
    ("webhooks", "Webhook", {"url": "string", "events": "strings"}),
    ("api-keys", "ApiKey", {"label": "string", "scopes": "strings"}),
    ("audit-events", "AuditEvent", {"actor": "string", "action": "string", "target": "string"}),
]

STATUSES = ["pending", "active", "archived"]


def prop(kind: str, desc: str) -> dict[str, Any]:
    if kind in ("string", "integer", "number", "boolean"):
        return {"type": kind, "description": desc}
    if kind == "date":
        return {"type": "string", "format": "date", "description": desc}
    if kind == "date-time":
        return {"type": "string", "format": "date-time", "description": desc}
    if kind == "strings":
        return {"type": "array", "items": {"type": "string"}, "description": desc}
    if kind == "items":
        return {
            "type": "array",
            "description": desc,
            "items": {
                "type": "object",
                "description": "One line of the document.",
                "required": ["product_id", "quantity"],
                "properties": {
                    "product_id": {"type": "string", "description": "The product."},
                    "quantity": {"type": "integer", "minimum": 1, "description": "How many."},
                    "unit_price": {"$ref": "#/components/schemas/Money", "description": "Price of one."},
                },
            },
        }
    return {"$ref": f"#/components/schemas/{kind}", "description": desc}


def sample(kind: str, name: str) -> Any:
    return {
        "string": f"{name}_value",
        "integer": 3,
        "number": 4.5,
        "boolean": True,
        "date": "2024-05-01",
        "date-time": "2024-05-01T12:00:00Z",
        "strings": ["a", "b"],
        "items": [{"product_id": "prod_1", "quantity": 2, "unit_price": {"amount": 500, "currency": "usd"}}],
        "Address": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postal_code": None},
        "Money": {"amount": 1000, "currency": "usd"},
        "OrderNote": {"text": "leave at door", "by": {"note_author": "ann"}},
        "PaymentMethod": {"kind": "card", "last4": "4242"},
    }[kind]


def shared() -> dict[str, Any]:
    return {
        "Money": {
            "type": "object",
            "title": "Resource",
            "description": "An amount in minor units of a currency.",
            "required": ["amount", "currency"],
            "properties": {
                "amount": {"type": "integer", "format": "int64", "description": "Minor units."},
                "currency": {"type": "string", "minLength": 3, "maxLength": 3, "description": "ISO 4217 code."},
            },
            "examples": [{"amount": 1000, "currency": "usd"}],
        },
        "Address": {
            "type": "object",
            "title": "Resource",
            "description": "A postal address.",
            "required": ["line1", "city", "country", "postal_code"],
            "properties": {
                "line1": {"type": "string", "description": "Street line."},
                "city": {"type": "string", "description": "City."},
                "country": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO country code."},
                "postal_code": {"type": ["string", "null"], "description": "Postal code, if any."},
            },
            "examples": [sample("Address", "")],
        },
        "PaymentMethod": {
            "description": "How a payment was made.",
            "oneOf": [
                {
                    "type": "object",
                    "description": "A card payment.",
                    "required": ["kind", "last4"],
                    "properties": {
                        "kind": {"const": "card", "description": "Tag."},
                        "last4": {"type": "string", "description": "Last four digits."},
                    },
                },
                {
                    "type": "object",
                    "description": "A bank transfer.",
                    "required": ["kind", "iban"],
                    "properties": {
                        "kind": {"const": "bank_transfer", "description": "Tag."},
                        "iban": {"type": "string", "description": "Account number."},
                    },
                },
            ],
            "discriminator": {"propertyName": "kind"},
            "examples": [{"kind": "bank_transfer", "iban": "DE89"}],
        },
        # Three names that become the same Python name after sanitising.
        "OrderNote": {
            "type": "object",
            "title": "Resource",
            "description": "A note on an order.",
            "required": ["text"],
            "properties": {
                "text": {"type": "string", "description": "The note."},
                "by": {"$ref": "#/components/schemas/Order-Note", "description": "Who wrote it."},
            },
            "examples": [sample("OrderNote", "")],
        },
        "Order-Note": {
            "type": "object",
            "title": "Resource",
            "description": "Author of an order note (hyphenated name).",
            "properties": {
                "note_author": {"type": "string", "description": "Author handle."},
                "extra": {"$ref": "#/components/schemas/order_note", "description": "More."},
            },
            "examples": [{"note_author": "ann"}],
        },
        "order_note": {
            "type": "object",
            "title": "Resource",
            "description": "Extra detail on a note author (snake_case name).",
            "properties": {"detail": {"type": "string", "description": "Detail."}},
            "examples": [{"detail": "x"}],
        },
        "Error": {
            "type": "object",
            "description": "An error payload.",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "description": "The error.",
                    "required": ["message", "type"],
                    "properties": {
                        "message": {"type": "string", "description": "Human-readable message."},
                        "type": {"type": "string", "description": "Error type."},
                    },
                }
            },
            "examples": [{"error": {"message": "Not found", "type": "invalid_request_error"}}],
        },
    }


def resource_schemas(path: str, name: str, fields: dict[str, str]) -> dict[str, Any]:
    snake = path.replace("-", "_")
    example = {"id": f"{snake[:4]}_1", "object": snake[:-1], "created_at": 1700000000, "updated_at": None,
               "status": "active", "metadata": {"k": "v"}}
    example.update({f: sample(k, f) for f, k in fields.items()})
    props: dict[str, Any] = {
        "id": {"type": "string", "description": f"Identifier of the {name.lower()}."},
        "object": {"const": snake[:-1], "description": "Object type."},
        "created_at": {"type": "integer", "description": "Creation time (Unix seconds)."},
        "updated_at": {"type": ["integer", "null"], "description": "Last update, or null."},
        "status": {"$ref": f"#/components/schemas/{name}Status", "description": "Lifecycle status."},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Free-form labels."},
    }
    props.update({f: prop(k, f"The {f.replace('_', ' ')}.") for f, k in fields.items()})
    create_fields = {f: prop(k, f"The {f.replace('_', ' ')}.") for f, k in fields.items()}
    first = next(iter(fields))
    return {
        name: {
            "type": "object",
            "title": "Resource",
            "description": f"A {name} resource.",
            "required": ["id", "object", "created_at", "updated_at", "status", *fields],
            "properties": props,
            "examples": [example],
        },
        f"{name}Status": {"type": "string", "enum": STATUSES, "description": f"Status of a {name}."},
        f"{name}CreateParams": {
            "type": "object",
            "description": f"Parameters to create a {name}.",
            "required": [first],
            "properties": {**create_fields, "metadata": props["metadata"]},
            "examples": [{f: sample(k, f) for f, k in fields.items()}],
        },
        f"{name}UpdateParams": {
            "type": "object",
            "description": f"Parameters to update a {name}.",
            "properties": {**create_fields, "status": props["status"]},
            "examples": [{"status": "archived"}],
        },
        f"{name}List": {
            "type": "object",
            "title": "Resource",
            "description": f"A page of {path}.",
            "required": ["object", "data", "has_more"],
            "properties": {
                "object": {"const": "list", "description": "Always list."},
                "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}, "description": "Items."},
                "has_more": {"type": "boolean", "description": "Whether more pages exist."},
                "last_id": {"type": ["string", "null"], "description": "Cursor for the next page."},
            },
            "examples": [{"object": "list", "data": [example], "has_more": False, "last_id": example["id"]}],
        },
        f"{name}Deleted": {
            "type": "object",
            "description": f"Receipt for a deleted {name}.",
            "required": ["id", "deleted"],
            "properties": {
                "id": {"type": "string", "description": "Identifier."},
                "deleted": {"const": True, "description": "Always true."},
            },
            "examples": [{"id": example["id"], "deleted": True}],
        },
    }


def json_response(ref: str, desc: str) -> dict[str, Any]:
    return {
        "description": desc,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def operations(path: str, name: str) -> dict[str, Any]:
    snake = path.replace("-", "_")
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                "description": f"Identifier of the {name.lower()}.", "example": f"{snake[:4]}_1"}
    error = {"default": json_response("Error", "An error.")}
    tag = name
    list_params = [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100},
         "description": "Page size.", "example": 10},
        {"name": "after", "in": "query", "schema": {"type": "string"}, "description": "Cursor.", "example": "x_1"},
        {"name": "status", "in": "query", "schema": {"$ref": f"#/components/schemas/{name}Status"},
         "description": "Filter by status.", "example": "active"},
    ]
    body = lambda ref: {  # noqa: E731
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }
    return {
        f"/{path}": {
            "get": {"operationId": f"list_{snake}", "summary": f"List {path}.", "tags": [tag],
                    "parameters": list_params,
                    "responses": {"200": json_response(f"{name}List", "A page."), **error}},
            "post": {"operationId": f"create_{snake[:-1]}", "summary": f"Create a {name}.", "tags": [tag],
                     "requestBody": body(f"{name}CreateParams"),
                     "responses": {"200": json_response(name, "The created resource."), **error}},
        },
        f"/{path}/{{id}}": {
            "parameters": [id_param],
            "get": {"operationId": f"retrieve_{snake[:-1]}", "summary": f"Retrieve a {name}.", "tags": [tag],
                    "responses": {"200": json_response(name, "The resource."), **error}},
            "post": {"operationId": f"update_{snake[:-1]}", "summary": f"Update a {name}.", "tags": [tag],
                     "requestBody": body(f"{name}UpdateParams"),
                     "responses": {"200": json_response(name, "The updated resource."), **error}},
            "delete": {"operationId": f"delete_{snake[:-1]}", "summary": f"Delete a {name}.", "tags": [tag],
                       "responses": {"200": json_response(f"{name}Deleted", "The receipt."), **error}},
        },
    }


def extras() -> tuple[dict[str, Any], dict[str, Any]]:
    """(paths, schemas) of the non-CRUD operations: every media type and parameter style."""
    error = {"default": json_response("Error", "An error.")}
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                "description": "Identifier.", "example": "x_1"}
    schemas: dict[str, Any] = {
        "ProductImage": {
            "type": "object", "description": "An uploaded product image.", "required": ["id", "url"],
            "properties": {"id": {"type": "string", "description": "Image id."},
                           "url": {"type": "string", "format": "uri", "description": "Where it is served."},
                           "alt": {"type": ["string", "null"], "description": "Alternative text."}},
            "examples": [{"id": "img_1", "url": "https://cdn.store.example/img_1.png", "alt": None}],
        },
        "AccessToken": {
            "type": "object", "description": "An OAuth access token.",
            "required": ["access_token", "token_type", "expires_in"],
            "properties": {"access_token": {"type": "string", "description": "The token."},
                           "token_type": {"const": "bearer", "description": "Always bearer."},
                           "expires_in": {"type": "integer", "description": "Seconds until it expires."}},
            "examples": [{"access_token": "tok_1", "token_type": "bearer", "expires_in": 3600}],
        },
        "OrderEvent": {
            "description": "One event of an order's live stream.",
            "oneOf": [{"$ref": "#/components/schemas/OrderStatusChanged"},
                      {"$ref": "#/components/schemas/OrderShipmentUpdated"}],
            "discriminator": {"propertyName": "type", "mapping": {
                "order.status_changed": "#/components/schemas/OrderStatusChanged",
                "order.shipment_updated": "#/components/schemas/OrderShipmentUpdated"}},
            "examples": [{"type": "order.status_changed", "status": "active"}],
        },
        "OrderStatusChanged": {
            "type": "object", "description": "The order's status changed.", "required": ["type", "status"],
            "properties": {"type": {"const": "order.status_changed", "description": "Event type."},
                           "status": {"$ref": "#/components/schemas/OrderStatus"}},
            "examples": [{"type": "order.status_changed", "status": "active"}],
        },
        "OrderShipmentUpdated": {
            "type": "object", "description": "A shipment of the order moved.", "required": ["type", "shipment_id"],
            "properties": {"type": {"const": "order.shipment_updated", "description": "Event type."},
                           "shipment_id": {"type": "string", "description": "The shipment."},
                           "location": {"type": ["string", "null"], "description": "Where it is now."}},
            "examples": [{"type": "order.shipment_updated", "shipment_id": "ship_1", "location": "Lyon"}],
        },
    }
    search_params = [
        {"name": "q", "in": "query", "required": True, "schema": {"type": "string"},
         "description": "Search text.", "example": "red shoes"},
        {"name": "ids", "in": "query", "style": "form", "explode": False,
         "schema": {"type": "array", "items": {"type": "string"}}, "description": "Only these products."},
        {"name": "tags", "in": "query", "style": "pipeDelimited", "explode": False,
         "schema": {"type": "array", "items": {"type": "string"}}, "description": "All of these tags."},
        {"name": "X-Store-Region", "in": "header", "schema": {"type": "string", "enum": ["eu", "us"]},
         "description": "Region to search."},
        {"name": "store_session", "in": "cookie", "schema": {"type": "string"}, "description": "Session cookie."},
    ]
    paths = {
        "/products/search": {"get": {
            "operationId": "search_products", "summary": "Search products.", "tags": ["Product"],
            "parameters": search_params,
            "responses": {"200": json_response("ProductList", "Matching products."), **error}}},
        "/products/{id}/images": {"post": {
            "operationId": "upload_product_image", "summary": "Upload a product image.", "tags": ["Product"],
            "parameters": [id_param],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "description": "The upload form.", "required": ["image"],
                "properties": {"image": {"type": "string", "format": "binary", "description": "The image file."},
                               "alt": {"type": "string", "description": "Alternative text."}}}}}},
            "responses": {"201": json_response("ProductImage", "The stored image."), **error}}},
        "/oauth/token": {"post": {
            "operationId": "create_access_token", "summary": "Exchange client credentials for a token.",
            "tags": ["Auth"], "security": [],
            "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object", "description": "A client-credentials grant.",
                "required": ["grant_type", "client_id", "client_secret"],
                "properties": {"grant_type": {"const": "client_credentials", "description": "Grant type."},
                               "client_id": {"type": "string", "description": "Client id."},
                               "client_secret": {"type": "string", "description": "Client secret."},
                               "scope": {"type": "array", "items": {"type": "string"},
                                         "description": "Scopes asked for."}}}}}},
            "responses": {"200": json_response("AccessToken", "The token."), **error}}},
        "/invoices/{id}/pdf": {"get": {
            "operationId": "download_invoice_pdf", "summary": "Download an invoice as PDF.", "tags": ["Invoice"],
            "parameters": [id_param],
            "responses": {"200": {"description": "The PDF.", "content": {"application/pdf": {
                "schema": {"type": "string", "format": "binary"}}}}, **error}}},
        "/orders/export": {"get": {
            "operationId": "export_orders", "summary": "Export orders as CSV.", "tags": ["Order"],
            "responses": {"200": {"description": "CSV rows.", "content": {"text/csv": {
                "schema": {"type": "string"}}}}, **error}}},
        "/orders/{id}/events": {"get": {
            "operationId": "stream_order_events", "summary": "Follow an order's events live.", "tags": ["Order"],
            "parameters": [id_param],
            "responses": {"200": {"description": "Server-sent events.", "content": {"text/event-stream": {
                "schema": {"$ref": "#/components/schemas/OrderEvent"}}}}, **error}}},
    }
    return paths, schemas


def build() -> dict[str, Any]:
    schemas: dict[str, Any] = shared()
    paths: dict[str, Any] = {}
    for path, name, fields in RESOURCES:
        schemas.update(resource_schemas(path, name, fields))
        paths.update(operations(path, name))
    extra_paths, extra_schemas = extras()
    schemas.update(extra_schemas)
    paths.update(extra_paths)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Store API", "version": "3.4.0", "description": "A realistic multi-resource API."},
        "servers": [{"url": "https://api.store.example/v1"}],
        "tags": [{"name": name, "description": f"{name} operations."} for _, name, _ in RESOURCES]
        + [{"name": "Auth", "description": "Authentication."}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=100)
    OUT.write_text("# Written by tests/tools/make_store_spec.py; edit the script, not this file.\n" + text)


if __name__ == "__main__":
    main()
