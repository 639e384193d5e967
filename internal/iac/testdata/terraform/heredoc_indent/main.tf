resource "azurerm_role_assignment" "indented" {
  scope                = var.scope
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = var.principal_id
  condition_version    = "2.0"
  condition            = <<-EOT
    (
      (
        !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})
      )

      OR
  
      (
        @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Team<$key_case_sensitive$>] StringEquals 'Blue'
      )
    )
    EOT
}

resource "azurerm_role_assignment" "tabs" {
  scope                = var.scope
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.principal_id
  condition            = <<-COND
		@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]
			StringStartsWith 'logs-'
	COND
}
