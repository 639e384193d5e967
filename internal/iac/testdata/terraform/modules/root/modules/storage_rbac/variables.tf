variable "principal_id" {
  type = string
  validation {
    condition     = can(regex("^[0-9a-f-]{36}$", var.principal_id))
    error_message = "principal_id must be an object ID."
  }
}

variable "scope" {
  type = string
}

variable "condition" {
  type    = string
  default = null
}
