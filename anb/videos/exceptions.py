"""Every reason a video request is refused, each with its own stable ``code``."""

from __future__ import annotations

from anb.errors import AppError, BadRequest, Forbidden, NotFound, ServiceUnavailable


class NotMultipart(BadRequest):
    code = "not_multipart"
    detail = "La solicitud debe ser multipart/form-data con el archivo en el campo 'video_file'."


class MalformedMultipart(BadRequest):
    code = "malformed_multipart"
    detail = "El cuerpo multipart de la solicitud está mal formado."


class MissingFile(BadRequest):
    code = "missing_file"
    detail = "Falta el archivo de video (campo 'video_file')."


class MultipleFiles(BadRequest):
    code = "multiple_files"
    detail = "Envía un solo archivo de video por solicitud."


class FileTooLarge(BadRequest):
    code = "file_too_large"
    detail = "El archivo supera el tamaño máximo permitido de {limit_mb} MB."


class EmptyFile(BadRequest):
    code = "empty_file"
    detail = "El archivo está vacío."


class MissingTitle(BadRequest):
    code = "missing_title"
    detail = "El título es obligatorio."


class TitleTooLong(BadRequest):
    code = "title_too_long"
    detail = "El título debe tener como máximo {max} caracteres."


class UnsupportedFormat(BadRequest):
    code = "unsupported_format"
    detail = "El archivo no es un video MP4 (se aceptan .mp4, .m4v y .mov con una pista de video)."


class CorruptVideo(BadRequest):
    code = "corrupt_video"
    detail = "El video está dañado o incompleto y no se puede leer."


class DurationOutOfRange(BadRequest):
    code = "invalid_duration"
    detail = "La duración del video debe estar entre {min} y {max} segundos (tiene {actual} s)."


class ResolutionTooLow(BadRequest):
    code = "resolution_too_low"
    detail = "El video debe ser al menos 1080p: el lado corto debe medir {min} px o más (tiene {actual} px)."


class VideoNotFound(NotFound):
    code = "video_not_found"
    detail = "Video no encontrado."


class NotVideoOwner(Forbidden):
    code = "not_video_owner"
    detail = "Este video pertenece a otro jugador."


class VideoAlreadyPublished(BadRequest):
    code = "video_published"
    detail = "El video ya está publicado para votación y no se puede eliminar."


class UploadStorageFull(ServiceUnavailable):
    code = "storage_full"
    detail = "No hay espacio para guardar el video en este momento. Inténtalo de nuevo más tarde."


class UploadStorageUnavailable(ServiceUnavailable):
    code = "storage_unavailable"
    detail = "El almacenamiento de videos no está disponible. Inténtalo de nuevo en unos minutos."


class UploadNotFound(NotFound):
    code = "upload_not_found"
    detail = "La subida no existe o ya terminó."


class NotUploadOwner(Forbidden):
    code = "not_upload_owner"
    detail = "Esta subida pertenece a otro jugador."


class UploadExpired(AppError):
    status_code = 410
    code = "upload_expired"
    detail = "La subida expiró sin completarse; vuelve a empezarla."


class UploadIncomplete(BadRequest):
    code = "upload_incomplete"
    detail = "La subida no está completa: se recibieron {received} de {size} bytes."


class UploadPartsRejected(BadRequest):
    code = "upload_parts_rejected"
    detail = (
        "Las partes indicadas no coinciden con las que recibió el almacenamiento (número o ETag): "
        "vuelve a enviarlas y completa la subida de nuevo."
    )


class UploadOffsetMismatch(AppError):
    status_code = 409
    code = "upload_offset_mismatch"
    detail = "La posición indicada no coincide con los bytes recibidos ({offset})."
