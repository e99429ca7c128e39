"""A hand-written pydantic v2 model of a ChatKit thread item page: the practical limit.

What a careful person would write for speed without changing the contract the
generated models keep: every union that has a tag is a discriminated union (one
lookup, one variant tried), plain ``Literal`` tags, no validators, and the same
model config as the generated ``BaseModel`` (unknown fields kept, so a newer server
never breaks an older client). Required-but-nullable fields stay required, as in the
spec. Used by ``parse_speed.py`` only.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel as _PydanticBase
from pydantic import ConfigDict, Field


class Base(_PydanticBase):
    model_config = ConfigDict(extra="allow", populate_by_name=True, serialize_by_alias=True, protected_namespaces=())


class Attachment(Base):
    id: str
    mime_type: str
    name: str
    preview_url: str | None
    type: Literal["image", "file"]


class InputText(Base):
    text: str
    type: Literal["input_text"]


class QuotedText(Base):
    text: str
    type: Literal["quoted_text"]


class ToolChoice(Base):
    id: str


class InferenceOptions(Base):
    model: str | None
    tool_choice: ToolChoice | None


class UserMessageItem(Base):
    id: str
    attachments: list[Attachment]
    content: list[Annotated[InputText | QuotedText, Field(discriminator="type")]]
    created_at: int
    inference_options: InferenceOptions | None
    object: Literal["chatkit.thread_item"]
    thread_id: str
    type: Literal["chatkit.user_message"]


class FileSource(Base):
    filename: str
    type: Literal["file"]


class FileAnnotation(Base):
    source: FileSource
    type: Literal["file"]


class URLSource(Base):
    type: Literal["url"]
    url: str


class URLAnnotation(Base):
    source: URLSource
    type: Literal["url"]


class OutputText(Base):
    annotations: list[Annotated[FileAnnotation | URLAnnotation, Field(discriminator="type")]]
    text: str
    type: Literal["output_text"]


class AssistantMessageItem(Base):
    id: str
    content: list[OutputText]
    created_at: int
    object: Literal["chatkit.thread_item"]
    thread_id: str
    type: Literal["chatkit.assistant_message"]


class WidgetItem(Base):
    id: str
    created_at: int
    object: Literal["chatkit.thread_item"]
    thread_id: str
    type: Literal["chatkit.widget"]
    widget: str


class ClientToolCallItem(Base):
    id: str
    arguments: str
    call_id: str
    created_at: int
    name: str
    object: Literal["chatkit.thread_item"]
    output: str | None
    status: Literal["in_progress", "completed"]
    thread_id: str
    type: Literal["chatkit.client_tool_call"]


class TaskItem(Base):
    id: str
    created_at: int
    heading: str | None
    object: Literal["chatkit.thread_item"]
    summary: str | None
    task_type: Literal["custom", "thought"]
    thread_id: str
    type: Literal["chatkit.task"]


class GroupedTask(Base):
    heading: str | None
    summary: str | None
    type: Literal["custom", "thought"]


class TaskGroupItem(Base):
    id: str
    created_at: int
    object: Literal["chatkit.thread_item"]
    tasks: list[GroupedTask]
    thread_id: str
    type: Literal["chatkit.task_group"]


ThreadItem = Annotated[
    UserMessageItem | AssistantMessageItem | WidgetItem | ClientToolCallItem | TaskItem | TaskGroupItem,
    Field(discriminator="type"),
]


class ThreadItemList(Base):
    data: list[ThreadItem]
    first_id: str | None
    has_more: bool
    last_id: str | None
    object: Literal["list"]
