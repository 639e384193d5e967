resource "azurerm_role_assignment" "none" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = null
  condition_version    = null
}

resource "azurerm_role_assignment" "empty" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = ""
}

resource "azurerm_role_assignment" "number" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = 42
}

resource "azurerm_role_assignment" "empty_heredoc" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id
  condition            = <<EOT
EOT
}
