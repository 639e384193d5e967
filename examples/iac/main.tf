# Role assignments with conditions, as a Terraform module declares them.
# `abacc check examples/iac` checks the condition literals where they are written.

variable "storage_account_id" {
  type = string
}

variable "reader_principal_id" {
  type = string
}

variable "uploader_principal_id" {
  type = string
}

# Readers see the blobs whose Project tag is their own Engineering_Project attribute
# (examples/tag-read.cond).
resource "azurerm_role_assignment" "project_reader" {
  scope                = var.storage_account_id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.reader_principal_id
  condition_version    = "2.0"
  condition            = <<-EOT
    (
      (
        !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
      )
      OR
      (
        @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project]
      )
    )
  EOT
}

# Uploaders write into the drop container only. A footgun: the guard names blobs/write but not
# blobs/add/action, which also creates blobs (Put Block), so abacc warns (ABAC3101).
resource "azurerm_role_assignment" "drop_uploader" {
  scope                = var.storage_account_id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = var.uploader_principal_id
  condition_version    = "2.0"
  condition            = "(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'drop')"
}
