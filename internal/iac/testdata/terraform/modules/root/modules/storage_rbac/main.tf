resource "azurerm_role_assignment" "writer" {
  scope                = var.scope
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = var.principal_id
  condition_version    = "2.0"
  condition            = <<-EOT
    (
      !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'} AND NOT SubOperationMatches{'Blob.Write.WithTagHeaders'})
    )
    OR
    (
      @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Owner<$key_case_sensitive$>] StringEquals @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Team]
    )
  EOT

  lifecycle {
    precondition {
      condition     = var.principal_id != ""
      error_message = "principal_id is required."
    }
  }
}

resource "azurerm_role_assignment" "passthrough" {
  scope                = var.scope
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.principal_id
  condition            = var.condition
}
