resource "azurerm_role_assignment" "escapes" {
  scope              = var.scope
  role_definition_id = var.role_id
  principal_id       = var.principal_id
  condition          = "(\n @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'logs/\\*/\u0041udit'\n)\nOR\n(\n\t@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '$${env}-%%{tier}'\n)"
  condition_version  = "2.0"
}

resource "azurerm_role_assignment" "quote" {
  scope              = var.scope
  role_definition_id = var.role_id
  principal_id       = var.principal_id
  condition          = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Note<$key_case_sensitive$>] StringEquals 'say \"hi\"'"
}
